// @sigil/sign: Keyless signing: identity token -> ephemeral key -> Fulcio certificate -> signature -> Rekor entry (-> timestamp) -> bundle v0.3
export {};
