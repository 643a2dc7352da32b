/**
 * Where to paste an address in the tools owners use, a few steps each: shown under every address
 * the owner adds for a form. The address is left out when there is no public one: an address on
 * this computer cannot be reached by a tool on the internet.
 */
export interface ToolSteps {
  tool: string;
  steps: string[];
}

const PASTE = (url: string | null) => (url ? `paste ${url}` : 'paste this address (turn on the public address first)');

export function endpointSteps(url: string | null): ToolSteps[] {
  return [
    {
      tool: 'Typeform',
      steps: ['Open the form, then Connect › Webhooks › Add a webhook.', `Endpoint: ${PASTE(url)}, then turn the webhook on.`, 'Send a test request from the same page.'],
    },
    {
      tool: 'Tally',
      steps: ['Open the form, then Integrations › Webhooks › Connect.', `Endpoint URL: ${PASTE(url)}.`, 'Submit the form once to try it.'],
    },
    {
      tool: 'Jotform',
      steps: ['Open the form, then Settings › Integrations › WebHooks.', `${PASTE(url)} and Complete Integration.`, 'Submit the form once to try it.'],
    },
    {
      tool: 'Webflow',
      steps: ['Site settings › Apps & integrations › Webhooks › Add webhook.', `Trigger type: Form submission; webhook URL: ${PASTE(url)}.`, 'Publish the site and submit the form once.'],
    },
    {
      tool: 'WordPress (Elementor, WPForms, Gravity Forms, Contact Form 7)',
      steps: [
        "In the form's Actions After Submit (Elementor) or its webhooks add-on, add a Webhook.",
        `Webhook URL: ${PASTE(url)}; method POST.`,
        'Submit the form once to try it.',
      ],
    },
    {
      tool: 'Zapier or Make',
      steps: [
        'Add the action Webhooks by Zapier › POST (Make: HTTP › Make a request, method POST).',
        `URL: ${PASTE(url)}; send JSON, with a field named email.`,
        'Test the step.',
      ],
    },
    {
      tool: 'Any other tool',
      steps: [
        `Wherever it asks for a webhook or notification URL, ${PASTE(url)}.`,
        'Send one real or test submission. If Leadbell cannot tell which field is the email, Home asks you to show it, once.',
      ],
    },
  ];
}
