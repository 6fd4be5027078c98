package io.sandboxbroker.testkit.provider;

import java.time.Instant;
import java.util.Optional;

/**
 * One request the fake provider answered. {@code account} is the account uuid the request was
 * about: the path's uuid for a CSP delete, the body's id for an account switch, the token's account
 * for universal-service calls; empty for listings and sign-in.
 */
public record Call(
        String method, String path, Optional<String> account, Instant receivedAt, Instant answeredAt, int status) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isAbout(String accountUuid) {
        return account.filter(accountUuid::equals).isPresent();
    }
}
