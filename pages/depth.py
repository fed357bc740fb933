"""Gradient through depth (placeholder: being built)."""

import streamlit as st

from ui import routing, state

routing.ensure_router()
st.title("Gradient through depth")
state.warn_about(state.check_query_params(state.activation_checks()))
choice = state.activation_picker()
st.text(f"VALUE {choice.slug} {choice.params}")
