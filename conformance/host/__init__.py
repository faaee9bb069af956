"""The embedded reference host: the covered VICIdial functions, answering like upstream."""
