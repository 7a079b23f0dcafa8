"""The claim checker: rules as data, the text scanner, the check itself."""
