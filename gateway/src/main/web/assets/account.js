// #/signin and #/register : the forms, with each field's error next to it (the problem's `field`)
import { ApiError } from '/assets/api.js';
import { h, view, problemBox } from '/assets/dom.js';
import { signIn, register } from '/assets/session.js';

function field(id, label, attributes) {
  const input = h('input', { id, name: id, required: true, 'aria-describedby': `${id}-error`, ...attributes });
  return { input, row: h('p', {}, h('label', { for: id }, label), input, h('span', { id: `${id}-error`, class: 'field-error' })) };
}

function showError(form, error, fields) {
  form.querySelectorAll('.field-error').forEach((span) => { span.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  const target = error instanceof ApiError && error.field && fields[error.field];
  if (target) {
    target.setAttribute('aria-invalid', 'true');
    document.getElementById(`${target.id}-error`).textContent = error.detail || error.title;
    target.focus();
    return null;
  }
  return problemBox(error);
}

const next = (params) => {
  const then = params.get('then');
  location.hash = then && then.startsWith('#/') ? then : '#/';
};

export function signInView(main, params) {
  const email = field('email', 'Email', { type: 'email', autocomplete: 'username' });
  const password = field('password', 'Password', { type: 'password', autocomplete: 'current-password' });
  const error = h('div', { 'aria-live': 'assertive' });
  const submit = async (event) => {
    event.preventDefault();
    error.replaceChildren();
    try {
      await signIn(email.input.value, password.input.value);
      next(params);
    } catch (e) {
      const box = showError(event.target, e, { email: email.input, password: password.input });
      if (box) error.replaceChildren(e.status === 401 ? h('p', { class: 'problem', role: 'alert' }, 'Wrong email or password.') : box);
    }
  };
  view(main, 'Sign in', h('form', { class: 'account', onsubmit: submit }, email.row, password.row, error,
    h('button', { type: 'submit' }, 'Sign in'),
    h('p', {}, 'New here? ', h('a', { href: `#/register${params.get('then') ? `?then=${encodeURIComponent(params.get('then'))}` : ''}` }, 'Create an account'))));
}

export function registerView(main, params) {
  const name = field('name', 'Name', { type: 'text', autocomplete: 'name', maxlength: '100' });
  const email = field('email', 'Email', { type: 'email', autocomplete: 'email' });
  const password = field('password', 'Password', { type: 'password', autocomplete: 'new-password', minlength: '10' });
  const error = h('div', { 'aria-live': 'assertive' });
  const submit = async (event) => {
    event.preventDefault();
    error.replaceChildren();
    try {
      await register(email.input.value, password.input.value, name.input.value);
      next(params);
    } catch (e) {
      const box = showError(event.target, e, { name: name.input, email: email.input, password: password.input });
      if (box) error.replaceChildren(box);
    }
  };
  view(main, 'Create an account', h('form', { class: 'account', onsubmit: submit }, name.row, email.row, password.row, error,
    h('button', { type: 'submit' }, 'Create account'),
    h('p', {}, 'Have an account? ', h('a', { href: '#/signin' }, 'Sign in'))));
}
