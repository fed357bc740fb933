"""Activation Lab: the router. Each page lives in pages/ and computes with activations/."""

import os

# One BLAS thread per process, set before NumPy is first imported (Streamlit does not import it
# before this script). A classroom server runs many sessions' reruns at once on one or two
# cores; multithreaded OpenBLAS then spins its threads against each other: measured here under
# load, simulate(50 layers, 256 wide, batch 256) took 5-10 s with 2 BLAS threads and about 1 s
# with one. A deployment can still override it in the environment.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st

from ui import routing

st.set_page_config(page_title="Activation Lab", page_icon=":material/show_chart:", layout="wide")
routing.mark_routed()
st.navigation(routing.pages(), position="sidebar").run()
