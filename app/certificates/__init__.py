"""Certificates of attendance: issued to participants marked as attended, built as accessible
PDFs (PDF/UA) on demand, verified on a public page through an HMAC code, revoked by organisers.
"""
