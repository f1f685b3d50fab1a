// @sigil/x509: X.509 certificates: parsing, Fulcio extensions, chain validation at a time, embedded SCTs
export {};
