/** Bearer-token roles for the HTTP API: who may call what. Imports no storage code. */
package io.sandboxbroker.broker.auth;
