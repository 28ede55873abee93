terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region     = "us-east-1"
  access_key = "{{aws-id}}"
  secret_key = "{{aws-secret}}"
}

# Documented example credentials, left from the tutorial this was copied from:
# access_key = "{{!aws-example}}"
# secret_key = "{{!aws-example-key}}"

resource "aws_s3_bucket" "checkpoints" {
  bucket = "acme-llm-checkpoints"
  tags = {
    owner = "ml-platform"
    run   = "{{!uuid}}"
  }
}

variable "gcp_api_key" {
  default = "{{gcp-api}}"
}
