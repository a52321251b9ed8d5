import { readFileSync } from "node:fs";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { VideoPipelineStack } from "../infra/VideoPipelineStack";
const app = new App({ context: { "aws:cdk:bundling-stacks": [] }, outdir: "/tmp/nagout" });
new VideoPipelineStack(app, "Test");
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const log = console.error; console.error = () => {}; const l2 = console.log; console.log = () => {};
try { app.synth(); l2("ok"); } catch (e) { l2("THROWN", String(e).slice(0, 300)); }
const r = JSON.parse(readFileSync("/tmp/nagout/validation-report.json","utf8"));
l2(JSON.stringify(r).slice(0,600));
