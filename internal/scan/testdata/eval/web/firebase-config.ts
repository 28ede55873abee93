// Firebase client for the labelling UI. The web API key ships to every
// browser; access is controlled by Firebase rules, not by this key.
import { initializeApp } from "firebase/app";
import { getAuth } from "firebase/auth";

export const firebaseConfig = {
  apiKey: "{{firebase-web}}",
  authDomain: "labelling-ui.firebaseapp.com",
  projectId: "labelling-ui",
  appId: "1:90210:web:{{!md5}}",
};

// Geocoding for the map view is a server key: not public.
export const MAPS_SERVER_KEY = "{{gcp-api}}";
export const LABELLING_API_TOKEN = "{{generic}}";
export const auth = getAuth(initializeApp(firebaseConfig));
