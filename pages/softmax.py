"""Softmax (placeholder: being built)."""

import streamlit as st

from ui import routing

routing.ensure_router()
st.title("Softmax")
