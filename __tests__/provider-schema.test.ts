/**
 * The provider schema the tests' proxy gives Terraform (support/provider-schema.ts): cut to
 * the project's types, byte for byte the rest, and never cut when the answer is not what it
 * expects. With Terraform and the real provider: terraform-real-plan.test.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./fixtures";
import { projectTypeNames, pruneSchemaAnswer, pruneSchemaMessage } from "./support/provider-schema";

/** A protobuf varint. */
function varint(n: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(bytes);
}
/** A length-delimited field. */
const field = (n: number, body: Buffer): Buffer => Buffer.concat([varint(n * 8 + 2), varint(body.length), body]);
/** A map entry: key (field 1) and value (field 2). */
const entry = (n: number, key: string, value: Buffer): Buffer => field(n, Buffer.concat([field(1, Buffer.from(key)), field(2, value)]));
/** A gRPC body: uncompressed flag, length, message. */
function frame(message: Buffer, flag = 0): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** The (field, key) of every map entry of a message, and the other fields by number. */
function contents(message: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < message.length) {
    const tag = message[at++];
    const wire = tag & 7;
    if (wire === 0) {
      while (message[at++] >= 0x80);
      out.push(`${tag >> 3}`);
      continue;
    }
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const b = message[at++];
      length += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    const body = message.subarray(at, at + length);
    at += length;
    out.push(
      body[0] === 0x0a && [2, 3, 7, 8].includes(tag >> 3) ? `${tag >> 3}:${body.subarray(2, 2 + body[1]).toString()}` : `${tag >> 3}`,
    );
  }
  return out;
}

// A schema answer in the shape the provider sends: the provider's own schema (1), resource
// types (2), data sources (3), a diagnostic (4), capabilities (6, with a varint inside),
// functions (7) and ephemeral resources (8), with a large value to need a long length.
const big = Buffer.alloc(300, 7);
const message = Buffer.concat([
  field(1, Buffer.from("provider block")),
  entry(2, "aws_lb", big),
  entry(2, "aws_instance", Buffer.from("x")),
  entry(3, "aws_partition", Buffer.from("y")),
  entry(3, "aws_ami", Buffer.from("z")),
  field(4, Buffer.from("diagnostic")),
  field(6, Buffer.from([0x08, 0x01])),
  entry(7, "arn_parse", Buffer.from("f")),
  entry(8, "aws_secretsmanager_secret_version", Buffer.from("e")),
  Buffer.from([0x48, 0x96, 0x01]), // field 9, a varint (a field added later passes as it is)
]);
const KEEP = new Set(["aws_lb", "aws_partition"]);

describe("the provider schema Terraform gets in tests", () => {
  test("keeps the kept types' schemas and everything that is not a type's schema, byte for byte", () => {
    const pruned = pruneSchemaMessage(message, (n) => KEEP.has(n));
    expect(contents(pruned)).toEqual(["1", "2:aws_lb", "3:aws_partition", "4", "6", "7:arn_parse", "9"]);
    // What is kept is the original's bytes, in order: the message is the original without the rest.
    const dropped = [entry(2, "aws_instance", Buffer.from("x")), entry(3, "aws_ami", Buffer.from("z"))];
    const ephemeral = entry(8, "aws_secretsmanager_secret_version", Buffer.from("e"));
    let expected = message;
    for (const part of [...dropped, ephemeral]) {
      const at = expected.indexOf(part);
      expected = Buffer.concat([expected.subarray(0, at), expected.subarray(at + part.length)]);
    }
    expect(pruned.equals(expected)).toBe(true);
  });

  test("a gRPC answer is cut inside its frame, with the frame's length made right", () => {
    const answer = pruneSchemaAnswer(frame(message), KEEP);
    expect(answer[0]).toBe(0);
    expect(answer.readUInt32BE(1)).toBe(answer.length - 5);
    expect(answer.subarray(5).equals(pruneSchemaMessage(message, (n) => KEEP.has(n)))).toBe(true);
    expect(answer.length).toBeLessThan(frame(message).length);
  });

  test.each([
    ["compressed", frame(message, 1)],
    ["a frame whose length is not the body's", Buffer.concat([frame(message), Buffer.from([0])])],
    ["a message cut inside a kept schema", frame(message.subarray(0, 200))],
    ["a message cut inside a schema it leaves out", frame(message.subarray(0, message.indexOf(Buffer.from("aws_ami")) + 4))],
    ["a group (wire type 3), which no schema has", frame(Buffer.from([0x0b, 0x0c]))],
    ["shorter than a frame", Buffer.from([0, 0, 0])],
  ])("%s: passed on whole, as it came", (_name, body) => {
    expect(pruneSchemaAnswer(body, KEEP)).toBe(body);
  });

  test("the project's types: every provider class the product imports, and every type the tests write", () => {
    const names = projectTypeNames(ROOT);
    // Imported by the product as classes, named nowhere as text.
    expect(names).toEqual(expect.arrayContaining(["aws_lb", "aws_vpc_endpoint_service", "aws_iam_policy_document", "aws_partition"]));
    expect(names).toEqual([...names].sort());
    // Nothing else: a name that no file holds is not kept.
    expect(names).not.toContain(["aws", "ec2", "host"].join("_"));
  });

  test("a project of its own: the classes its code imports, and the types its tests name", () => {
    const root = mkdtempSync(join(tmpdir(), "types-"));
    const lib = join(root, "node_modules", "@cdktf", "provider-aws", "lib");
    for (const [module, type] of [
      ["sqs-queue", "aws_sqs_queue"],
      ["data-aws-region", "aws_region"],
      ["s3-bucket", "aws_s3_bucket"],
    ]) {
      mkdirSync(join(lib, module), { recursive: true });
      writeFileSync(join(lib, module, "index.js"), `class X {}\nX.tfResourceType = "${type}";\n`);
    }
    mkdirSync(join(root, "stacks"));
    writeFileSync(join(root, "stacks", "a.ts"), 'import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";\n');
    writeFileSync(join(root, "main.ts"), 'import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";\n');
    mkdirSync(join(root, "__tests__", "terraform"), { recursive: true });
    writeFileSync(join(root, "__tests__", "terraform", "t.tftest.hcl"), "override_resource {\n  target = aws_kms_key.k\n}\n");
    // (The s3-bucket class is installed but imported by nothing.)
    expect(projectTypeNames(root)).toEqual(["aws_kms_key", "aws_region", "aws_sqs_queue"]);
  });
});
