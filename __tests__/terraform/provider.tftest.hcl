# terraform test for the `provider` stack (default config), run by __tests__/terraform.test.ts
# against a mock AWS provider: no credentials, no network.

mock_provider "aws" {
  # ARN-shaped defaults wherever the AWS provider validates an ARN downstream.
  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/mock/0000000000000000"
      dns_name = "mock.elb.ap-northeast-1.amazonaws.com"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/mock/0000000000000000"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:listener/app/mock/0000000000000000/0000000000000000"
    }
  }
  mock_resource "aws_lb_listener_rule" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:listener-rule/app/mock/0000000000000000/0000000000000000/0000000000000000"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn           = "arn:aws:lambda:ap-northeast-1:111111111111:function:hello-privatelink"
      invoke_arn    = "arn:aws:apigateway:ap-northeast-1:lambda:path/2015-03-31/functions/arn:aws:lambda:ap-northeast-1:111111111111:function:hello-privatelink/invocations"
      qualified_arn = "arn:aws:lambda:ap-northeast-1:111111111111:function:hello-privatelink:1"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111111111111:role/hello-privatelink-lambda"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:ap-northeast-1:111111111111:log-group:/aws/lambda/hello-privatelink"
    }
  }
  # Policy documents are rendered by the provider from their statements; mocks need valid JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:ap-northeast-1:111111111111:hello-privatelink-alarms"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-0000-0000-000000000000"
      key_id = "00000000-0000-0000-0000-000000000000"
    }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = {
      arn = "arn:aws:cloudwatch:ap-northeast-1:111111111111:alarm:mock"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
}

# Distinct ARNs for the two load balancers and the two target groups, so that every wiring
# assertion below can tell them apart.
override_resource {
  target = aws_lb.alb
  values = {
    arn      = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/hello-privatelink-alb/1111111111111111"
    dns_name = "internal-hello-privatelink-alb-1111111111.ap-northeast-1.elb.amazonaws.com"
  }
}
override_resource {
  target = aws_lb.nlb
  values = {
    arn      = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/net/hello-privatelink-nlb/2222222222222222"
    dns_name = "hello-privatelink-nlb-2222222222222222.elb.ap-northeast-1.amazonaws.com"
  }
}
override_resource {
  target = aws_lb_target_group.alb_lambda
  values = {
    arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/hello-privatelink-lambda-tg/3333333333333333"
  }
}
override_resource {
  target = aws_lb_target_group.nlb_alb
  values = {
    arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/hello-privatelink-albtg-80/4444444444444444"
  }
}

run "plan" {
  command = plan

  assert {
    condition     = aws_lb_target_group.nlb_alb.port == aws_lb_listener.alb_listener.port
    error_message = "The NLB's alb target group port (${aws_lb_target_group.nlb_alb.port}) must equal the ALB listener port (${aws_lb_listener.alb_listener.port})."
  }
  assert {
    condition     = aws_lb_target_group.nlb_alb.target_type == "alb" && aws_lb_target_group.nlb_alb.protocol == "TCP"
    error_message = "The NLB's target group must be target type alb over TCP."
  }
  assert {
    condition     = aws_lb_listener.nlb_tcp.protocol == "TCP" && aws_lb_listener.nlb_tcp.port == aws_lb_listener.alb_listener.port
    error_message = "The NLB listener must be TCP on the service port."
  }
  assert {
    condition     = aws_lb_target_group.alb_lambda.target_type == "lambda" && aws_lb_target_group.alb_lambda.health_check[0].enabled == false
    error_message = "The ALB's target group must be target type lambda with health checks explicitly off."
  }
  assert {
    condition     = aws_lb.alb.internal && aws_lb.nlb.internal && aws_lb.alb.load_balancer_type == "application" && aws_lb.nlb.load_balancer_type == "network"
    error_message = "Both load balancers must be internal, of the right type."
  }
  assert {
    condition     = length(aws_lb.nlb.security_groups) == 1 && aws_lb.alb.drop_invalid_header_fields
    error_message = "The NLB needs its security group at creation; the ALB must drop invalid headers."
  }
  assert {
    condition     = aws_lambda_function.lambda.runtime == "python3.13" && aws_lambda_function.lambda.handler == "lambda_function.lambda_handler"
    error_message = "The function must run the seed's handler on python3.13."
  }
  assert {
    condition     = aws_lambda_permission.alb_invoke.principal == "elasticloadbalancing.amazonaws.com" && aws_lambda_permission.alb_invoke.source_account == "111111111111"
    error_message = "Only ELB, from this account, may invoke the function."
  }
}

run "apply" {
  command = apply

  assert {
    condition     = aws_lb_listener.nlb_tcp.default_action[0].type == "forward" && aws_lb_listener.nlb_tcp.default_action[0].target_group_arn == aws_lb_target_group.nlb_alb.arn
    error_message = "The NLB listener must forward to the alb target group."
  }
  assert {
    condition     = aws_lb_listener.alb_listener.default_action[0].target_group_arn == aws_lb_target_group.alb_lambda.arn
    error_message = "The ALB listener must forward to the lambda target group."
  }
  assert {
    condition     = aws_lb_target_group_attachment.nlb_alb.target_id == aws_lb.alb.arn && aws_lb_target_group_attachment.nlb_alb.target_group_arn == aws_lb_target_group.nlb_alb.arn
    error_message = "The ALB must be registered in the NLB's alb target group."
  }
  assert {
    condition     = aws_lb_target_group_attachment.alb_lambda.target_id == aws_lambda_function.lambda.arn && aws_lb_target_group_attachment.alb_lambda.target_group_arn == aws_lb_target_group.alb_lambda.arn
    error_message = "The function must be registered in the ALB's lambda target group."
  }
  assert {
    condition     = aws_lambda_permission.alb_invoke.source_arn == aws_lb_target_group.alb_lambda.arn
    error_message = "The invoke permission's source_arn must be the lambda target group (${aws_lb_target_group.alb_lambda.arn}), not ${aws_lambda_permission.alb_invoke.source_arn}."
  }
  assert {
    condition     = length(aws_vpc_endpoint_service.service.network_load_balancer_arns) == 1 && contains(aws_vpc_endpoint_service.service.network_load_balancer_arns, aws_lb.nlb.arn)
    error_message = "The endpoint service must front the NLB, and only it."
  }
  assert {
    condition     = length(aws_vpc_endpoint_service.service.allowed_principals) == 1 && contains(aws_vpc_endpoint_service.service.allowed_principals, "arn:aws:iam::222222222222:root") && aws_vpc_endpoint_service.service.acceptance_required == false
    error_message = "The consumer account's root must be the one allowed principal, with acceptance set explicitly."
  }
  assert {
    condition     = aws_iam_role_policy_attachment.lambda_vpc_access.policy_arn == "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    error_message = "The role needs AWSLambdaVPCAccessExecutionRole."
  }
  assert {
    condition     = output.endpoint_service_name == aws_vpc_endpoint_service.service.service_name && output.nlb_dns_name == aws_lb.nlb.dns_name && output.alb_dns_name == aws_lb.alb.dns_name
    error_message = "Outputs must expose the service name and both DNS names."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1.dimensions["LoadBalancer"] == aws_lb.nlb.arn_suffix && aws_cloudwatch_metric_alarm.nlb_zonal_health_apne1_az1.dimensions["AvailabilityZone"] == aws_subnet.network_private_apne1_az1.availability_zone
    error_message = "The zonal health alarm must watch the NLB in the AZ of its subnet."
  }
  assert {
    condition     = alltrue([for q in aws_cloudwatch_metric_alarm.alb_target_5xx_rate.metric_query : q.metric[0].dimensions["TargetGroup"] == aws_lb_target_group.alb_lambda.arn_suffix if length(q.metric) > 0]) && alltrue([for q in aws_cloudwatch_metric_alarm.lambda_errors.metric_query : q.metric[0].dimensions["FunctionName"] == aws_lambda_function.lambda.function_name if length(q.metric) > 0]) && length(aws_cloudwatch_metric_alarm.lambda_errors.metric_query) == 3
    error_message = "The function's alarms must watch its target group and the function itself."
  }
  assert {
    condition     = alltrue([for a in [aws_cloudwatch_metric_alarm.alb_5xx_rate, aws_cloudwatch_metric_alarm.lambda_throttles, aws_cloudwatch_metric_alarm.service_reset_packets] : a.alarm_actions == toset([aws_sns_topic.alarms.arn])]) && aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.alarms.arn
    error_message = "Alarms must notify the stack's topic, encrypted with its key."
  }
  assert {
    condition     = aws_vpc_endpoint_connection_notification.service_connections.vpc_endpoint_service_id == aws_vpc_endpoint_service.service.id && aws_vpc_endpoint_connection_notification.service_connections.connection_notification_arn == aws_sns_topic.alarms.arn && output.alarm_topic_arn == aws_sns_topic.alarms.arn
    error_message = "Endpoint connection events must go to the topic, which the output names."
  }
}
