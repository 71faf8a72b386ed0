import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { start } from './lib/app.svelte';

mount(App, { target: document.getElementById('app')! });
void start();
