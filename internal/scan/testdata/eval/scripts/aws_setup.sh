#!/bin/sh
# Configure the S3 bucket for checkpoints.
aws configure set aws_access_key_id {{aws-id}}
aws configure set aws_secret_access_key {{aws-secret}}
aws configure set region eu-west-1

# Session credentials from the last assume-role (expire in 1h)
export AWS_ACCESS_KEY_ID={{aws-sts-id}}
export AWS_SECRET_ACCESS_KEY="{{aws-secret}}"
export AWS_SESSION_TOKEN=$(cat /tmp/session-token)

# Local moto tests use the documented example keys.
export MOTO_ACCESS_KEY_ID={{!aws-example}}
export MOTO_SECRET_ACCESS_KEY={{!aws-example-key}}
export PLACEHOLDER_KEY_ID={{!aws-xxx}}

aws s3 sync s3://ml-team-checkpoints/support-ft/{{!git-sha}}/ ./ckpt/
echo "etag {{!md5}}"
