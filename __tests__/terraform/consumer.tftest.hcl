# terraform test for the `consumer` stack (default config), run by __tests__/terraform.test.ts
# against a mock AWS provider, after the provider stack's mock apply.

mock_provider "aws" {
  # The probe's managed policy ARNs are built from the partition.
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
  # Policy documents are rendered by the provider from their statements; mocks need valid JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::222222222222:role/hello-privatelink-consumer-flow-logs"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:ap-northeast-1:222222222222:log-group:/vpc/flow-logs/hello-privatelink-consumer"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:ap-northeast-1:222222222222:hello-privatelink-consumer-alarms"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:ap-northeast-1:222222222222:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = {
      arn = "arn:aws:cloudwatch:ap-northeast-1:222222222222:alarm:mock"
    }
  }
  mock_resource "aws_vpc_endpoint" {
    defaults = {
      arn = "arn:aws:ec2:ap-northeast-1:222222222222:vpc-endpoint/vpce-0123456789abcdef0"
      dns_entry = [
        {
          dns_name       = "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.ap-northeast-1.vpce.amazonaws.com"
          hosted_zone_id = "Z2E726K9Y6RL4W"
        },
      ]
    }
  }
}

# The provider stack's outputs, as the consumer reads them through terraform_remote_state.
override_data {
  target = data.terraform_remote_state.cross-stack-reference-input-provider
  values = {
    # @provider-outputs: the jest runner replaces the next line with the outputs captured
    # from the provider stack's mock apply. Left as is, the lookups below fail.
    outputs = {}
  }
}

run "apply" {
  command = apply

  assert {
    condition     = aws_vpc_endpoint.endpoint.vpc_endpoint_type == "Interface"
    error_message = "The endpoint must be of type Interface (the resource defaults to Gateway)."
  }
  assert {
    condition     = aws_vpc_endpoint.endpoint.service_name == data.terraform_remote_state.cross-stack-reference-input-provider.outputs["endpoint_service_name"]
    error_message = "The endpoint must use the provider's service name, not ${aws_vpc_endpoint.endpoint.service_name}."
  }
  assert {
    condition     = aws_vpc_endpoint.endpoint.private_dns_enabled == false && length(aws_vpc_endpoint.endpoint.subnet_ids) == 2
    error_message = "Private DNS must be off, with one subnet per AZ."
  }
  assert {
    condition     = length(aws_vpc_endpoint.endpoint.security_group_ids) == 1 && contains(aws_vpc_endpoint.endpoint.security_group_ids, aws_security_group.endpoint.id)
    error_message = "The endpoint must use its own security group."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoint_client_10_1_0_0_16.cidr_ipv4 == "10.1.0.0/16" && aws_vpc_security_group_ingress_rule.endpoint_client_10_1_0_0_16.from_port == 80
    error_message = "Only the consumer VPC may reach the endpoint, on the service port."
  }
  assert {
    condition     = output.curl_command == "curl http://${aws_vpc_endpoint.endpoint.dns_entry[0].dns_name}/"
    error_message = "The curl output must call the endpoint's DNS name."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.endpoint_clients_endpoint.referenced_security_group_id == aws_security_group.endpoint.id && aws_vpc_security_group_ingress_rule.endpoint_clients.referenced_security_group_id == aws_security_group.endpoint_clients.id
    error_message = "The client group must reach the endpoint's group, and the endpoint's group admit the client group."
  }
  assert {
    condition     = output.client_security_group_id == aws_security_group.endpoint_clients.id
    error_message = "client_security_group_id must be the client group."
  }
  assert {
    condition     = aws_lambda_function.probe.vpc_config[0].security_group_ids == toset([aws_security_group.endpoint_clients.id]) && aws_lambda_function.probe.environment[0].variables["SERVICE_URL"] == output.service_url
    error_message = "The probe must run in the client group and call the service URL."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.endpoint_dropped_packets.dimensions["VPC Endpoint Id"] == aws_vpc_endpoint.endpoint.id && aws_cloudwatch_metric_alarm.endpoint_dropped_packets.dimensions["Service Name"] == aws_vpc_endpoint.endpoint.service_name && aws_cloudwatch_metric_alarm.endpoint_reset_packets.alarm_actions == toset([aws_sns_topic.alarms.arn])
    error_message = "The endpoint's alarms must watch this endpoint and notify the stack's topic."
  }
}
