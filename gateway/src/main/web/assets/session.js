// Who is signed in, shared by the views: loaded once from GET /api/sessions/current, changed by
// signing in and out. Listeners are told of every change (the header's account links, the cart count).
import { get, post, del, ApiError } from '/assets/api.js';

let current = null;
let cartCount = 0;
const listeners = new Set();

export const user = () => current;
export const isAdmin = () => Boolean(current && (current.roles || []).includes('admin'));
export const cartItems = () => cartCount;
export function onChange(listener) {
  listeners.add(listener);
}
function changed() {
  listeners.forEach((listener) => listener(current));
}

// the cart count for the header, kept by the views that change the cart
export function setCartCount(count) {
  cartCount = count;
  changed();
}

// the signed-in shopper's cart count, asked again (after a sign-in, at start)
function refreshCart() {
  if (current) get('/api/cart').then((cart) => setCartCount(cart.count)).catch(() => {});
}

export async function load() {
  try {
    current = (await get('/api/sessions/current')).user;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    current = null;
  }
  changed();
  refreshCart();
  return current;
}

export async function signIn(email, password) {
  current = (await post('/api/sessions', { email, password })).user;
  changed();
  refreshCart();
}

export async function register(email, password, name) {
  await post('/api/users', { email, password, name });
  await signIn(email, password);
}

export async function signOut() {
  try {
    await del('/api/sessions/current');
  } finally {
    current = null;
    cartCount = 0;
    changed();
  }
}
