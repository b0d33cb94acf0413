"""The host's side of securing boards: its certificate authority and
tokens (``pki``) and pairing a board with it (``pairing``)."""
