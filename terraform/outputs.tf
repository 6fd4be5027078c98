output "api_url" {
  description = "HTTPS URL of the API (point the lab scripts' DNS name at alb_dns_name)."
  value       = "https://${aws_lb.api.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the ALB, for the CNAME/alias record."
  value       = aws_lb.api.dns_name
}

output "ecr_repository_url" {
  description = "Push images here (docs/deploy.md)."
  value       = aws_ecr_repository.broker.repository_url
}

output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "api_service_name" {
  value = aws_ecs_service.api.name
}

output "jobs_service_name" {
  value = aws_ecs_service.jobs.name
}

output "api_task_definition_arn" {
  value = aws_ecs_task_definition.api.arn
}

output "jobs_task_definition_arn" {
  value = aws_ecs_task_definition.jobs.arn
}

output "pool_table_name" {
  value = aws_dynamodb_table.pool.name
}

output "quartz_table_name" {
  value = aws_dynamodb_table.quartz.name
}

output "secret_arns" {
  description = "Secrets to fill with `aws secretsmanager put-secret-value` (ARNs only, never values)."
  value = {
    BROKER_API_TOKEN   = aws_secretsmanager_secret.broker_api_token.arn
    BROKER_ADMIN_TOKEN = aws_secretsmanager_secret.broker_admin_token.arn
    CSP_API_TOKEN      = aws_secretsmanager_secret.csp_api_token.arn
  }
}

output "log_groups" {
  value = {
    api  = aws_cloudwatch_log_group.api.name
    jobs = aws_cloudwatch_log_group.jobs.name
  }
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "web_acl_arn" {
  value = aws_wafv2_web_acl.api.arn
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}
