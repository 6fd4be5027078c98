# ---- naming and region ----

variable "name" {
  description = "Prefix of every resource name (cluster, services, roles, secrets, ECR repository)."
  type        = string
  default     = "sandbox-broker"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "name: 3-28 lowercase letters, digits and hyphens, starting with a letter (ALB and target group names are limited to 32 characters)."
  }
}

variable "environment" {
  description = "Environment name, used in tags."
  type        = string
  default     = "production"
  validation {
    condition     = contains(["production", "staging"], var.environment)
    error_message = "environment must be production or staging."
  }
}

variable "aws_region" {
  description = "AWS region of the whole stack."
  type        = string
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like us-east-1."
  }
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

# ---- existing network ----

variable "vpc_id" {
  description = "The existing VPC."
  type        = string
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (with a NAT route) of the VPC for the tasks, in at least two availability zones."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids: at least two subnet ids (subnet-...)."
  }
}

variable "public_subnet_ids" {
  description = "Subnets of the VPC for the ALB (public unless alb_internal), in at least two availability zones."
  type        = list(string)
  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids: at least two subnet ids (subnet-...)."
  }
}

variable "alb_internal" {
  description = "Make the ALB internal (reachable only inside the VPC)."
  type        = bool
  default     = false
}

variable "allowed_ingress_cidrs" {
  description = "IPv4 CIDRs allowed to reach the ALB."
  type        = list(string)
  default     = ["0.0.0.0/0"]
  validation {
    condition     = length(var.allowed_ingress_cidrs) > 0 && alltrue([for c in var.allowed_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_ingress_cidrs: one or more IPv4 CIDR blocks."
  }
}

variable "certificate_arn" {
  description = "ACM certificate of the API's host name, for the HTTPS listener."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

# ---- image and application settings (non-secret) ----

variable "image_tag" {
  description = "Image tag to deploy: the git sha pushed by the runbook (not `latest`, so a rollback is a known tag)."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid Docker tag other than latest (use the git sha)."
  }
}

variable "ecr_images_to_keep" {
  description = "Images kept in ECR (older ones expire)."
  type        = number
  default     = 50
  validation {
    condition     = var.ecr_images_to_keep >= 5
    error_message = "Keep at least 5 images to have rollback targets."
  }
}

variable "lab_duration_hours" {
  description = "How long an allocation lasts (LAB_DURATION_HOURS)."
  type        = number
  default     = 48
  validation {
    condition     = var.lab_duration_hours >= 1 && var.lab_duration_hours <= 720 && floor(var.lab_duration_hours) == var.lab_duration_hours
    error_message = "lab_duration_hours: a whole number from 1 to 720."
  }
}

variable "csp_base_url" {
  description = "Base URL of the provider (CSP) API (CSP_BASE_URL)."
  type        = string
  default     = "https://csp.infoblox.com/v2"
  validation {
    condition     = startswith(var.csp_base_url, "https://")
    error_message = "csp_base_url must be an https URL."
  }
}

variable "log_level" {
  description = "Root log level (LOG_LEVEL)."
  type        = string
  default     = "INFO"
  validation {
    condition     = contains(["ERROR", "WARN", "INFO", "DEBUG"], var.log_level)
    error_message = "log_level: ERROR, WARN, INFO or DEBUG."
  }
}

# ---- sizes and counts ----

variable "api_cpu" {
  description = "API task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024
  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.api_cpu)
    error_message = "api_cpu must be a Fargate CPU size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "api_memory" {
  description = "API task memory in MiB."
  type        = number
  default     = 2048
  validation {
    condition     = var.api_memory >= 512 && var.api_memory <= 30720 && var.api_memory % 512 == 0
    error_message = "api_memory must be a Fargate memory size in MiB (a multiple of 512, at most 30720)."
  }
}

variable "jobs_cpu" {
  description = "Jobs task CPU units (512 = 0.5 vCPU)."
  type        = number
  default     = 512
  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.jobs_cpu)
    error_message = "jobs_cpu must be a Fargate CPU size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "jobs_memory" {
  description = "Jobs task memory in MiB."
  type        = number
  default     = 1024
  validation {
    condition     = var.jobs_memory >= 512 && var.jobs_memory <= 30720 && var.jobs_memory % 512 == 0
    error_message = "jobs_memory must be a Fargate memory size in MiB (a multiple of 512, at most 30720)."
  }
}

variable "api_desired_count" {
  description = "API tasks at the first apply; autoscaling owns the count afterwards."
  type        = number
  default     = 2
  validation {
    condition     = var.api_desired_count >= 2
    error_message = "Run at least 2 API tasks (one per availability zone)."
  }
}

variable "api_min_count" {
  description = "Autoscaling minimum of API tasks."
  type        = number
  default     = 2
  validation {
    condition     = var.api_min_count >= 2
    error_message = "api_min_count must be at least 2."
  }
}

variable "api_max_count" {
  description = "Autoscaling maximum of API tasks."
  type        = number
  default     = 10
  validation {
    condition     = var.api_max_count >= 2 && var.api_max_count <= 50
    error_message = "api_max_count must be from 2 to 50."
  }
}

variable "api_cpu_target_percent" {
  description = "Average CPU the API autoscaling aims at."
  type        = number
  default     = 60
  validation {
    condition     = var.api_cpu_target_percent >= 20 && var.api_cpu_target_percent <= 90
    error_message = "api_cpu_target_percent must be from 20 to 90."
  }
}

variable "api_memory_target_percent" {
  description = "Average memory the API autoscaling aims at."
  type        = number
  default     = 75
  validation {
    condition     = var.api_memory_target_percent >= 20 && var.api_memory_target_percent <= 90
    error_message = "api_memory_target_percent must be from 20 to 90."
  }
}

variable "jobs_desired_count" {
  description = "Jobs tasks. Quartz is clustered: each firing runs once; more than one survives a node loss."
  type        = number
  default     = 2
  validation {
    condition     = var.jobs_desired_count >= 1 && var.jobs_desired_count <= 5
    error_message = "jobs_desired_count must be from 1 to 5."
  }
}

# ---- data ----

variable "pool_table_name" {
  description = "DynamoDB pool table (DDB_TABLE_NAME)."
  type        = string
  default     = "sandbox-broker-pool"
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.pool_table_name))
    error_message = "pool_table_name: 3-255 characters of A-Z a-z 0-9 _ . -"
  }
}

variable "quartz_table_name" {
  description = "DynamoDB Quartz table (DDB_QUARTZ_TABLE_NAME)."
  type        = string
  default     = "sandbox-broker-quartz"
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.quartz_table_name))
    error_message = "quartz_table_name: 3-255 characters of A-Z a-z 0-9 _ . -"
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for tables, secrets, logs and SNS; null uses AWS-managed keys."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "deletion_protection" {
  description = "Protect the tables and the ALB from deletion."
  type        = bool
  default     = true
}

# ---- monitoring and edge ----

variable "log_retention_days" {
  description = "CloudWatch Logs retention of both log groups."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "alarm_email" {
  description = "E-mail subscribed to the alarm topic (empty: subscribe later)."
  type        = string
  default     = ""
  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or empty."
  }
}

variable "jobs_alarm_cpu_percent" {
  description = "Jobs CPU alarm threshold."
  type        = number
  default     = 80
  validation {
    condition     = var.jobs_alarm_cpu_percent > 0 && var.jobs_alarm_cpu_percent <= 100
    error_message = "jobs_alarm_cpu_percent must be from 1 to 100."
  }
}

variable "jobs_alarm_memory_percent" {
  description = "Jobs memory alarm threshold."
  type        = number
  default     = 80
  validation {
    condition     = var.jobs_alarm_memory_percent > 0 && var.jobs_alarm_memory_percent <= 100
    error_message = "jobs_alarm_memory_percent must be from 1 to 100."
  }
}

variable "api_alarm_5xx_per_minute" {
  description = "API 5xx responses per minute (5 minutes in a row) that raise the alarm."
  type        = number
  default     = 10
  validation {
    condition     = var.api_alarm_5xx_per_minute >= 1
    error_message = "api_alarm_5xx_per_minute must be at least 1."
  }
}

variable "waf_rate_limit_per_5min" {
  description = "Requests per source IP per 5 minutes before WAF blocks it."
  type        = number
  default     = 3000
  validation {
    condition     = var.waf_rate_limit_per_5min >= 100 && var.waf_rate_limit_per_5min <= 2000000000
    error_message = "waf_rate_limit_per_5min must be from 100 to 2,000,000,000 (WAF's bounds)."
  }
}
