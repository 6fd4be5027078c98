package io.sandboxbroker.testkit.provider;

import java.util.Optional;

/** One of the two APIs the fake serves; the router asks these in order, then applies faults. */
interface ProviderApi {
    boolean serves(String path);

    /** A 401 reply when the request's credentials are wrong or missing. */
    Optional<Reply> refusal(ProviderRequest request);

    /** The account uuid the request is about, for the call record and per-account failures. */
    Optional<String> accountOf(ProviderRequest request);

    Reply handle(ProviderRequest request);
}
