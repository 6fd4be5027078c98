# Sandbox Broker on ECS Fargate: one image, two services (API behind an HTTPS ALB; jobs, clustered,
# no load balancer), two DynamoDB tables, secrets in Secrets Manager. See docs/deploy.md.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  tags = merge(var.tags, {
    Application = "sandbox-broker"
    Environment = var.environment
    ManagedBy   = "terraform"
  })

  image = "${aws_ecr_repository.broker.repository_url}:${var.image_tag}"

  # Non-secret settings only. Tokens never go here: see local.secrets.
  environment = [
    { name = "AWS_REGION", value = data.aws_region.current.name },
    { name = "DDB_TABLE_NAME", value = aws_dynamodb_table.pool.name },
    { name = "DDB_QUARTZ_TABLE_NAME", value = aws_dynamodb_table.quartz.name },
    { name = "LAB_DURATION_HOURS", value = tostring(var.lab_duration_hours) },
    { name = "CSP_BASE_URL", value = var.csp_base_url },
    { name = "LOG_LEVEL", value = var.log_level },
  ]

  alb_subnet_cidrs = join(",", concat(
    [for subnet in data.aws_subnet.alb : subnet.cidr_block],
    [for subnet in data.aws_subnet.alb : subnet.ipv6_cidr_block if subnet.ipv6_cidr_block != null && subnet.ipv6_cidr_block != ""],
  ))

  # Injected by ECS from Secrets Manager at task start (the execution role reads exactly these).
  secrets = [
    { name = "BROKER_API_TOKEN", valueFrom = aws_secretsmanager_secret.broker_api_token.arn },
    { name = "BROKER_ADMIN_TOKEN", valueFrom = aws_secretsmanager_secret.broker_admin_token.arn },
    { name = "CSP_API_TOKEN", valueFrom = aws_secretsmanager_secret.csp_api_token.arn },
  ]

  api_container = {
    name        = "api"
    image       = local.image
    essential   = true
    command     = ["server", "/app/config/production.yml"]
    user        = "10001:10001"
    stopTimeout = 30
    portMappings = [
      { containerPort = 8080, protocol = "tcp" },
      { containerPort = 8081, protocol = "tcp" },
    ]
    environment = concat(local.environment, [
      { name = "TRUSTED_PROXY_CIDRS", value = local.alb_subnet_cidrs },
    ])
    secrets = local.secrets
    healthCheck = {
      command     = ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ s _ <&3 && [ \"$s\" = 200 ]"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 60
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.api.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "api"
      }
    }
  }

  # The jobs role: same image and config, no application port; health on the admin port.
  jobs_container = {
    name        = "jobs"
    image       = local.image
    essential   = true
    command     = ["jobs", "/app/config/production.yml"]
    user        = "10001:10001"
    stopTimeout = 60
    portMappings = [
      { containerPort = 8081, protocol = "tcp" },
    ]
    environment = local.environment
    secrets     = local.secrets
    healthCheck = {
      command     = ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /healthcheck HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ s _ <&3 && [ \"$s\" = 200 ]"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 90
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.jobs.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "jobs"
      }
    }
  }
}
