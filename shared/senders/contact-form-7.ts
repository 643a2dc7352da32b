/**
 * Contact Form 7 through a webhook add-on (such as "CF7 to Webhook"), which posts the form's
 * fields under their names. CF7's default form names them `your-name`, `your-email`,
 * `your-subject`, `your-message` (contact-form-template.php); the `your-` is dropped and the
 * rest read like a label.
 */
import type { SenderPreset } from './entry.js';
import { flatten } from './fields.js';

export const contactForm7: SenderPreset = {
  name: 'contact-form-7',
  label: 'Contact Form 7',
  docs: 'https://github.com/rocklobster-in/contact-form-7/blob/trunk/includes/contact-form-template.php',
  recognize: (body) => typeof body['your-email'] === 'string',
  read(body, { assessment }) {
    return {
      body: flatten(
        Object.entries(body)
          .filter(([key]) => !key.startsWith('_wpcf7'))
          .map(([key, value]) => ({ key: key.replace(/^your-/, ''), kind: key === 'your-email' ? ('email' as const) : ('other' as const), value })),
        { source: 'contact-form-7' },
        assessment,
      ),
    };
  },
};
