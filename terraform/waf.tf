# Rate limit per source IP in front of the application's own (per client and learner) limits.
# Lab traffic may arrive from few NAT addresses: keep the limit well above a busy lab's request rate.
# A blocked request gets what the application itself answers when a limit is hit (429, Retry-After, the
# error envelope with RATE_LIMIT_EXCEEDED), so the lab scripts back off and retry instead of failing on a
# bare 403.
resource "aws_wafv2_web_acl" "api" {
  name  = "${var.name}-api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-per-ip"
    priority = 1

    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = "rate-limit-exceeded"
          response_header {
            name  = "Retry-After"
            value = "60"
          }
        }
      }
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5min
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  custom_response_body {
    key          = "rate-limit-exceeded"
    content_type = "APPLICATION_JSON"
    content = jsonencode({
      detail = {
        code        = "RATE_LIMIT_EXCEEDED"
        message     = "Too many requests from this address; retry after the given number of seconds."
        retry_after = 60
      }
    })
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_lb.api.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
