// @sigil/tsa: RFC 3161 timestamp tokens: parsing and verification
export {};
