package io.sandboxbroker.testkit.provider;

/** The paths the fake provider serves, relative to {@link FakeProvider#baseUri()}. */
public final class ProviderPaths {
    /** CSP: {@code GET} lists the caller's accounts. */
    public static final String ACCOUNTS = "/v2/current_user/accounts";
    /** CSP: {@code DELETE} + uuid deletes a sandbox account. */
    public static final String SANDBOX_ACCOUNTS = "/v2/sandbox/accounts/";
    /** NIOSXaaS: {@code POST {email,password}} returns a session jwt. */
    public static final String SIGN_IN = "/v2/session/users/sign_in";
    /** NIOSXaaS: {@code POST {id}} returns a jwt scoped to that account. */
    public static final String ACCOUNT_SWITCH = "/v2/session/account_switch";
    /** NIOSXaaS: {@code GET} lists the scoped account's services; {@code DELETE} + "/" + uuid deletes one. */
    public static final String UNIVERSAL_SERVICES = "/api/universalinfra/v1/universalservices";

    private ProviderPaths() {}
}
