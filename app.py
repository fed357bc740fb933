"""Activation Lab: the router. Each page lives in pages/ and computes with activations/."""

import streamlit as st

from ui import routing

st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")
routing.mark_routed()
st.navigation(routing.pages(), position="sidebar").run()
