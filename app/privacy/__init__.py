"""Data protection (DSGVO): retention and anonymisation, access and erasure, the privacy notice."""
