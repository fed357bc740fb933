"""Activation Lab: the router. Each page lives in pages/ and computes with activations/."""

import streamlit as st

from ui import blas, memory, routing

st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")
# One BLAS thread per process (why, and why not OPENBLAS_NUM_THREADS here: ui/blas.py).
blas.limit_to_one_thread()
# Large arrays handed back to the system when freed (why: ui/memory.py).
memory.limit_allocator()
routing.mark_routed()
st.navigation(routing.pages(), position="sidebar").run()
