"""Activation Lab: the router. Each page lives in pages/ and computes with activations/."""

import streamlit as st

st.set_page_config(page_title="Activation Lab", layout="wide")
st.title("Activation Lab")
st.info("The pages are being built: the activation explorer, softmax and gradient through depth.")
