// Small DOM helpers shared by the two views.

/** The page's #id; with `type`, checked to be that kind of element (a form, a button…). */
export function element(id: string): HTMLElement;
export function element<T extends HTMLElement>(id: string, type: new () => T): T;
export function element<T extends HTMLElement>(id: string, type?: new () => T): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  if (type && !(found instanceof type))
    throw new Error(`page has #${id} as a <${found.tagName.toLowerCase()}>, not a ${type.name}`);
  return found;
}

export function showMessage(text: string): void {
  element('message').textContent = text;
  if (text) element('notice').textContent = '';
}

export function showNotice(text: string): void {
  element('notice').textContent = text;
  if (text) element('message').textContent = '';
}

/** Runs the handler on click with the button disabled meanwhile; a failure is shown, never thrown away. */
export function wire(id: string, handler: () => Promise<void>): void {
  const button = element(id, HTMLButtonElement);
  button.addEventListener('click', () => {
    showMessage('');
    button.disabled = true;
    handler()
      .catch((error: unknown) =>
        showMessage(`${id}: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
}

export function cell(className: string, text: string, detail?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  if (detail) {
    const small = document.createElement('small');
    small.className = 'detail';
    small.textContent = detail;
    td.append(small);
  }
  return td;
}
