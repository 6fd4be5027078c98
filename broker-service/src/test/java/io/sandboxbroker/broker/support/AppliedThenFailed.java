package io.sandboxbroker.broker.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * DynamoDB's "applied, then failed" on a real client and real dynalite: the first attempt of each
 * named operation reaches dynalite and is applied, then its answer is replaced by a 500, so the
 * SDK retries a write that already happened, exactly as after a lost response in AWS.
 */
public final class AppliedThenFailed implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> FAILED_ONCE = new ExecutionAttribute<>("test.failedOnce");
    private static final String BODY = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
            + "\"message\":\"injected after the write was applied\"}";

    private final Set<String> operations;
    private final AtomicInteger injected = new AtomicInteger();

    public AppliedThenFailed(Set<String> operations) {
        this.operations = operations;
    }

    /** PutItem, UpdateItem and DeleteItem. */
    public static AppliedThenFailed everyWrite() {
        return new AppliedThenFailed(Set.of("PutItem", "UpdateItem", "DeleteItem"));
    }

    /** How many answers were replaced. */
    public int injected() {
        return injected.get();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!applies(attributes) || context.httpResponse().statusCode() != 200) {
            return context.httpResponse();
        }
        attributes.putAttribute(FAILED_ONCE, Boolean.TRUE);
        injected.incrementAndGet();
        return context.httpResponse().toBuilder().statusCode(500).statusText("Internal Server Error")
                .removeHeader("Content-Length")
                .putHeader("Content-Length", Integer.toString(BODY.getBytes(StandardCharsets.UTF_8).length))
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        if (context.httpResponse().statusCode() == 500 && Boolean.TRUE.equals(attributes.getAttribute(FAILED_ONCE))
                && !Boolean.TRUE.equals(attributes.getAttribute(REPLACED))) {
            attributes.putAttribute(REPLACED, Boolean.TRUE);
            return Optional.of(new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));
        }
        return context.responseBody();
    }

    private static final ExecutionAttribute<Boolean> REPLACED = new ExecutionAttribute<>("test.replaced");

    private boolean applies(ExecutionAttributes attributes) {
        return operations.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && attributes.getAttribute(FAILED_ONCE) == null;
    }
}
