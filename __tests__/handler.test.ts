import { join } from "node:path";
import { LAMBDA_SOURCE_DIR } from "../main";
import { ALB_EVENT, invokeHandler as invoke } from "./fixtures";

/** The page the seed article's function returns, character for character. */
const SEED_HTML = `<html>
    <head>
    <title>Hello World!</title>
    <style>
    html, body {
       margin: 0; padding: 0;
       font-family: arial; font-weight: 700; font-size: 3em;
       text-align: center;
    }
    </style>
    </head>
       <body>
          <p>Hello World!</p>
      </body>
    </html>`;

describe("Lambda handler (lambda-src/hello)", () => {
  test("answers an ALB event with a response that follows ALB's Lambda contract", () => {
    const response = invoke(ALB_EVENT);
    expect(Object.keys(response).sort()).toEqual(["body", "headers", "isBase64Encoded", "statusCode", "statusDescription"]);
    expect(response.statusCode).toBe(200);
    expect(response.statusDescription).toBe("200 OK");
    expect(response.isBase64Encoded).toBe(false);
    // Without multi-value headers enabled on the target group, ALB reads `headers` (strings).
    expect(response.headers).toEqual({ "Content-Type": "text/html; charset=utf-8" });
    expect(response).not.toHaveProperty("multiValueHeaders");
    expect(Buffer.byteLength(response.body, "utf8")).toBeLessThan(1024 * 1024);
  });

  test("returns exactly the seed article's HTML", () => {
    expect(invoke(ALB_EVENT).body).toBe(SEED_HTML);
  });

  test("the handler file is where the function's handler setting points", () => {
    expect(LAMBDA_SOURCE_DIR).toBe(join(__dirname, "..", "lambda-src", "hello"));
  });
});
