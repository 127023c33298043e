# Models arrive with this app's feature issues.
