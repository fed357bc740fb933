"""The Streamlit/Plotly layer shared by the pages: routing, URL state, figures, classroom tools.

The NumPy core (``activations``) computes; this package reads widgets and draws.
"""
