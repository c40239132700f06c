"""What every layer may use: database locks, URLs, i18n, security headers, error pages, audit
log, the Länder, the Berlin time zone and shared form pieces. Knows no domain."""
