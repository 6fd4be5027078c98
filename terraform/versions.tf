terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }

  # State: configure a backend per environment at init time, e.g.
  #   terraform init -backend-config=backend.hcl   (S3 bucket + DynamoDB lock table)
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}
