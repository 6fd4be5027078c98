# Both tables mirror the definitions in code; TerraformIT compares them:
#   pool   — io.sandboxbroker.broker.db.PoolTable.definition(name)            (broker-service)
#   quartz — io.sandboxbroker.jobs.store.table.QuartzTable.definition(name)   (broker-jobs)
# Change a key or index in code and here in the same commit. DynamoDB cannot change a table's key:
# a key change is a new table and a migration.

resource "aws_dynamodb_table" "pool" {
  name                        = var.pool_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "avail_shard"
    type = "S"
  }
  attribute {
    name = "name"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  attribute {
    name = "claim_hour"
    type = "S"
  }
  attribute {
    name = "created_at"
    type = "N"
  }

  # Sparse: only available sandboxes carry avail_shard.
  global_secondary_index {
    name               = "available-by-shard"
    hash_key           = "avail_shard"
    range_key          = "name"
    projection_type    = "INCLUDE"
    non_key_attributes = ["sandbox_id"]
  }

  global_secondary_index {
    name            = "by-status"
    hash_key        = "status"
    range_key       = "name"
    projection_type = "ALL"
  }

  # Sparse: only learner claims carry claim_hour (the UTC hour of creation, written in the claim's
  # own put). The reconciler queries the last few hour buckets instead of scanning.
  global_secondary_index {
    name               = "claims-by-hour"
    hash_key           = "claim_hour"
    range_key          = "created_at"
    projection_type    = "INCLUDE"
    non_key_attributes = ["learner_id", "sandbox_id", "idempotency_key"]
  }

  # Idempotency records, claims, job-run history expire through this attribute (epoch seconds).
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

# ---- Quartz table (owned by broker-jobs) -----------------------------------------------------
# Keys and indexes below mirror QuartzTable.definition as of branch jobstore e8615c2: base key pk (S)
# only; every index projects
# ALL. The code declares no TTL attribute for this table ("no TTL"), so none is enabled here.
resource "aws_dynamodb_table" "quartz" {
  name                        = var.quartz_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "dueShard"
    type = "S"
  }
  attribute {
    name = "nft"
    type = "N"
  }
  attribute {
    name = "itemType"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "jobKey"
    type = "S"
  }
  attribute {
    name = "heldBy"
    type = "S"
  }

  global_secondary_index {
    name            = "due"
    hash_key        = "dueShard"
    range_key       = "nft"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "byType"
    hash_key        = "itemType"
    range_key       = "sk"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "byJob"
    hash_key        = "jobKey"
    range_key       = "pk"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "byOwner"
    hash_key        = "heldBy"
    range_key       = "pk"
    projection_type = "ALL"
  }
  # ---- end of the Quartz keys and indexes ----

  # Nothing in the scheduler's items expires today (broker-jobs writes no `ttl`); enabled on the same
  # attribute as the pool table so that a future expiring item type needs no table change.
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
