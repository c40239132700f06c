"""The organisers' shell: login, accounts, users, the back-office layout, and the one guard
that every back-office blueprint installs."""
