package dev.helix.server;

import org.jspecify.annotations.Nullable;

/** A request helix refuses, answered in OpenAI's error shape with the field it is about. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final @Nullable String param;
  private final @Nullable String code;

  ApiException(int status, String message, @Nullable String param, @Nullable String code) {
    this(status, message, status >= 500 ? "server_error" : "invalid_request_error", param, code);
  }

  ApiException(
      int status, String message, String type, @Nullable String param, @Nullable String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static ApiException badField(String field, String message) {
    return new ApiException(400, message, field, "invalid_value");
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  @Nullable String param() {
    return param;
  }

  @Nullable String code() {
    return code;
  }
}
