/**
 * AWS's tag rules, as data. Tags go to every resource through the provider's default_tags,
 * so the strictest rule of any service the app tags applies.
 *
 * Sources:
 * - https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html (keys 1-128,
 *   values 0-256, 50 per resource, `aws:` reserved in any case, portable characters)
 * - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-tags.html
 *   (Elastic Load Balancing: keys up to 127 and values up to 255 characters)
 * - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html (IAM: keys that differ only
 *   in letter case are one key; a role given both fails with "Duplicate tag keys found")
 */
export const TAG_RULES = {
  /** Elastic Load Balancing's limit, the strictest. */
  maxKeyLength: 127,
  maxValueLength: 255,
  /** Tags on one resource, the app's `Name` tag included. */
  maxTags: 50,
  /** Compared in any letter case. */
  reservedPrefix: "aws:",
  /** The characters every service accepts. */
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  chars: "letters, digits, spaces and _.:/=+-@",
  source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
  elbSource: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-tags.html",
  iamSource: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html",
} as const;
