//! The embedded sandbox: wire-compatible simulations of Eva, Lob and Veriphone.
