"""Test tools kept with the proxy: a Kaspi POS terminal and a network ESC/POS printer, on 127.0.0.1."""
