// Firebase web configuration of the demo app.
import { initializeApp } from "firebase/app";

const firebaseConfig = {
  apiKey: "{{firebase-web}}",
  authDomain: "ml-demo-app.firebaseapp.com",
  projectId: "ml-demo-app",
  storageBucket: "ml-demo-app.appspot.com",
  messagingSenderId: "548203117291",
  appId: "1:548203117291:web:{{!md5}}"
};

export const app = initializeApp(firebaseConfig);
// The inference proxy is not Firebase: this one is a real secret.
export const PROXY_API_KEY = "{{generic}}";
