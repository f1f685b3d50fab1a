// @sigil/rekor: Rekor entry kinds, canonical bodies and signed entry timestamps
export {};
