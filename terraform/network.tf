# The VPC and subnets exist already (var.vpc_id, var.*_subnet_ids); this file adds security groups.

data "aws_vpc" "this" {
  id = var.vpc_id
}

# The ALB's own subnets: the only addresses the API believes X-Forwarded-For from (TRUSTED_PROXY_CIDRS).
# Not the VPC's private ranges: with an internal ALB, clients sit in 10/8 too and could pick their own
# rate-limit key by writing the header.
data "aws_subnet" "alb" {
  for_each = toset(var.public_subnet_ids)
  id       = each.value
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Sandbox Broker ALB: HTTPS from the allowed CIDRs"
  vpc_id      = data.aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each          = toset(var.allowed_ingress_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "alb_http_redirect" {
  for_each          = toset(var.allowed_ingress_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "HTTP, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_api" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the API tasks' application port"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.api.id
}

resource "aws_security_group" "api" {
  name        = "${var.name}-api"
  description = "Sandbox Broker API tasks: application port from the ALB only"
  vpc_id      = data.aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "Application port from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "api_https" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS out: DynamoDB, Secrets Manager, ECR, CloudWatch Logs, the provider API"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "jobs" {
  name        = "${var.name}-jobs"
  description = "Sandbox Broker jobs tasks: no inbound traffic"
  vpc_id      = data.aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "jobs_https" {
  security_group_id = aws_security_group.jobs.id
  description       = "HTTPS out: DynamoDB, Secrets Manager, ECR, CloudWatch Logs, the provider API"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
