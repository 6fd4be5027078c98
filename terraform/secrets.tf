# Secret containers only: Terraform never holds a token value (nothing in code or state).
# Operators put the values with `aws secretsmanager put-secret-value` (docs/deploy.md, pre-flight).
# ECS injects them at task start through the task definitions' `secrets`.

resource "aws_secretsmanager_secret" "broker_api_token" {
  name                    = "${var.name}/BROKER_API_TOKEN"
  description             = "Bearer token of the lab scripts (lab role)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "broker_admin_token" {
  name                    = "${var.name}/BROKER_ADMIN_TOKEN"
  description             = "Bearer token of operators (admin role)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "csp_api_token" {
  name                    = "${var.name}/CSP_API_TOKEN"
  description             = "Cloud Services Portal API token of the broker"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}
