# Pool operations: CloudWatch metrics counted from the jobs' JSON log lines, their alarms, and saved
# Logs Insights queries. The Prometheus series (README "Operating the pool") answer the same
# questions where a Prometheus scrapes the tasks; these work with CloudWatch alone.

locals {
  pool_metrics_namespace = "SandboxBroker"
}

# Every pool-stats run (30 s) logs one line per pool below its low water, with the JSON fields
# pool and pool_state (PoolWatch).
resource "aws_cloudwatch_log_metric_filter" "pools_below_low_water" {
  name           = "${var.name}-pools-below-low-water"
  log_group_name = aws_cloudwatch_log_group.jobs.name
  pattern        = "{ ($.pool_state = \"low\") || ($.pool_state = \"empty\") }"
  metric_transformation {
    name      = "PoolsBelowLowWater"
    namespace = local.pool_metrics_namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "pools_empty" {
  name           = "${var.name}-pools-empty"
  log_group_name = aws_cloudwatch_log_group.jobs.name
  pattern        = "{ $.pool_state = \"empty\" }"
  metric_transformation {
    name      = "PoolsEmpty"
    namespace = local.pool_metrics_namespace
    value     = "1"
  }
}

# The clean-up logs each sandbox it gives up on (CleanupService: outcome=deletion_failed).
resource "aws_cloudwatch_log_metric_filter" "deletion_failed" {
  name           = "${var.name}-sandboxes-deletion-failed"
  log_group_name = aws_cloudwatch_log_group.jobs.name
  pattern        = "{ $.message = \"action=cleanup *outcome=deletion_failed*\" }"
  metric_transformation {
    name      = "SandboxesDeletionFailed"
    namespace = local.pool_metrics_namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "pool_below_low_water" {
  alarm_name          = "${var.name}-pool-below-low-water"
  alarm_description   = "A pool has had fewer available sandboxes than its low water for 3 minutes: refill it in the provider (GET /v1/admin/pools shows which and how fast it drains)"
  namespace           = local.pool_metrics_namespace
  metric_name         = aws_cloudwatch_log_metric_filter.pools_below_low_water.metric_transformation[0].name
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "deletion_failed_growing" {
  alarm_name          = "${var.name}-deletion-failed-growing"
  alarm_description   = "The clean-up gave up on sandboxes in the last 15 minutes: they still exist in the provider (admin page: retry deletion)"
  namespace           = local.pool_metrics_namespace
  metric_name         = aws_cloudwatch_log_metric_filter.deletion_failed.metric_transformation[0].name
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_query_definition" "allocations_per_track" {
  name            = "${var.name}/allocations-per-track-per-hour"
  log_group_names = [aws_cloudwatch_log_group.api.name]
  query_string    = <<-EOT
    fields @timestamp, message
    | filter message like /action=allocate / and message like /outcome=created/
    | parse message /track=(?<track>\S+)/
    | stats count(*) as allocations by track, bin(1h) as hour
    | sort hour desc, allocations desc
  EOT
}

resource "aws_cloudwatch_query_definition" "errors_by_code" {
  name            = "${var.name}/errors-by-code"
  log_group_names = [aws_cloudwatch_log_group.api.name]
  query_string    = <<-EOT
    fields @timestamp, error_code, status, route
    | filter message like /action=http / and ispresent(error_code)
    | stats count(*) as errors by error_code, status, route
    | sort errors desc
  EOT
}

resource "aws_cloudwatch_query_definition" "cleanup_failures" {
  name            = "${var.name}/cleanup-failures"
  log_group_names = [aws_cloudwatch_log_group.jobs.name]
  query_string    = <<-EOT
    fields @timestamp, message
    | filter message like /action=cleanup / and (message like /outcome=deletion_failed/ or message like /outcome=retry_later/ or message like /outcome=not_attempted/)
    | parse message /sandbox_id=(?<sandbox_id>\S+) outcome=(?<outcome>\S+)/
    | parse message /detail=(?<detail>.*)$/
    | stats count(*) as attempts, latest(detail) as last_detail by sandbox_id, outcome
    | sort attempts desc
  EOT
}
