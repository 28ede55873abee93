import Stripe from "stripe";
import { WebClient } from "@slack/web-api";

// Server-side only. The publishable key is public by design.
export const publishableKey = "pk_live_{{!md5}}";
const stripeSecretKey: string = "{{stripe}}";
const slackToken: string = "{{slack-bot}}";
const analyticsApiKey: string = process.env.ANALYTICS_API_KEY ?? "";
const sessionSecret = "{{generic}}";
const csrfTokenHeader = "X-CSRF-Token";
const buildId = "{{!git-sha}}";

export const stripe = new Stripe(stripeSecretKey, { apiVersion: "2024-06-20" });
export const slack = new WebClient(slackToken);
export const config = { analyticsApiKey, sessionSecret, csrfTokenHeader, buildId, requestId: "{{!uuid}}" };
