-- The first published version of the privacy policy: the company's policy of 14 November 2005,
-- written for this site. It is data (a published version is never edited, only followed by a new
-- one), and it ships as a migration so every database has it before the first consent row cites
-- its label. {{brand}}, {{privacyEmail}} and {{phone}} are filled in from configuration when the
-- page renders.
INSERT INTO "policy_versions" ("version", "title", "markdown", "summary", "material", "status", "effective_at", "published_at")
VALUES ('2005-11-14', 'Online Privacy Policy', $policy$Thank you for being a {{brand}} customer and for taking the time to read how we treat your information. This policy explains what we learn about you when you use our websites and online services, and what we do with it. We also gather personal information in other ways, for example when you call us; our general privacy policy covers that.

## What information do we collect about you online? {#what-we-collect}

When you visit our websites, order products or services, or use our online services, we may ask for and keep personal information such as your name, postal address, phone number, e-mail address, and billing and payment details.

Our servers also record some technical details on every visit without asking: the name of your Internet service provider, your IP address, the type of browser you use and your operating system. We look at how our sites are used, for example how often a page is opened and how long visitors stay on it, but only in a form that does not identify you. [What are cookies and how do I disable them?](#cookies) explains more.

If you use our Internet access service, we, or a company working for us, may gather information about how you use the service and the Internet so that we can keep improving it. We do not use that information in a way that identifies you, except:

- when we have reason to believe an account is being used against our subscriber agreement, our acceptable use policy, or any law or regulation;
- to protect the integrity of our services and our network;
- to establish or defend our legal rights, or those of someone else;
- when a government or legal authority makes a lawful request for it;
- when we believe in good faith that it is needed to prevent harm or to help someone else.

## How do we use personal information collected online? {#how-we-use}

Above all we use it to provide the products and services you ask for and to run our business, for example to bill you and collect payment. We also use it to answer your questions and concerns, to learn how you use our products and services, to tell you about our products and services, and to improve our services. And we use it to meet our obligations under laws and regulations, and to establish, exercise or defend our legal rights.

## Do we share personal information collected online with third parties? {#sharing}

We pass personal information collected online to companies in our group and to others who work with us, such as business partners and vendors, so that they can help us provide the products and services you ask for and make them better. We may give it to a government body or anyone else who makes a lawful request for it. We may also disclose it to establish and defend our legal rights, and wherever the law otherwise permits or requires.

## Can I review and change my personal information collected online? {#review-and-change}

Yes. You can look at the personal information you gave us online and correct it in any of these ways.

### In MyAccount

Sign in to [MyAccount](/account) with your username and password and open **Edit Profile**. There you can see your details, such as your e-mail address and your e-mail preferences, and change anything that is out of date.

### By phone or in an online chat

A customer service representative can go through the information in our records with you. Call us at {{phone}}, or select the **Need Help** button on our pages to chat with us or to send us a message. We will work with you until your information is accurate and complete. The [Contact Us](/contact) page lists every way to reach us.

### E-mail newsletters

To stop receiving our newsletters, sign in to MyAccount, open **Edit Profile** and switch off the topics you no longer want under **E-mail preferences**, or use the unsubscribe link in any newsletter. After you unsubscribe we still send you e-mail about your account itself, such as activity notices, order and payment confirmations, and reminders.

## What do we do to help safeguard personal information collected online? {#safeguards}

We follow policies and procedures designed to protect personal information collected online from access by people who should not have it and from misuse. Particularly sensitive details you send us, such as credit card and bank account numbers, travel from your device to our systems encrypted. In 2005 that encryption was called Secure Sockets Layer (SSL); today it is its successor, Transport Layer Security (TLS).

## What are cookies and how do I disable them? {#cookies}

A cookie is a small file that a website, ours included, asks your browser to keep on your device. It lets the site recognise your browser when you come back, so that your visit can be tailored to you, for example by showing the offers available to you. The [cookies this site sets](/privacy/cookies) are listed with their purpose and lifetime.

### Why we use cookies

Cookies tell us about your earlier visits to our site. That lets us:

- show you only the products available in your area;
- improve our site and your experience of it;
- recommend products that suit you;
- remember your username so that you need not type it every time.

### Cookies and the security of your information

A cookie does not let us see information or files on your device, and we do not use cookies to watch what you do on other companies' websites. A cookie only lets us recognise you while you use our site.

### How to disable cookies

Cookies make our sites easier to use, and if you turn them off some features may not work. Remember that they give us no access to private information on your device; they only record your visits to our sites.

You turn cookies off in your browser. Each browser does it a little differently, but the steps are similar. In current versions:

- **Google Chrome**: open the menu (⋮), choose **Settings**, then **Privacy and security**. **Third-party cookies** blocks other sites' cookies; **Site settings** controls what sites may store on your device, and **Delete browsing data** removes cookies already stored.
- **Mozilla Firefox**: open the menu (☰), choose **Settings**, then **Privacy & Security**. Under **Enhanced Tracking Protection** choose **Custom** to block cookies; under **Cookies and Site Data** choose **Manage Data** or **Clear Data** to remove them.
- **Safari on a Mac**: choose **Safari**, then **Settings**, then **Privacy**, and tick **Block all cookies**; **Manage Website Data** removes stored ones. On an iPhone or iPad: **Settings**, then **Safari** (under **Apps** on recent versions), then **Advanced**, and turn on **Block All Cookies**.
- **Microsoft Edge**: open the menu (…), choose **Settings**, then **Privacy, search, and services** or **Cookies and site permissions**, then **Manage and delete cookies and site data**; there you can block third-party cookies or stop sites from saving cookies at all.

Every browser's **Help** menu explains its own steps, and each maker publishes instructions:

- [Google Chrome](https://support.google.com/chrome/answer/95647)
- [Mozilla Firefox](https://support.mozilla.org/kb/clear-cookies-and-site-data-firefox)
- [Apple Safari](https://support.apple.com/guide/safari/manage-cookies-sfri11471/mac)
- [Microsoft Edge](https://support.microsoft.com/microsoft-edge/delete-cookies-in-microsoft-edge-63947406-40ac-c3b8-57b9-2a946a29ae09)

Companies that advertise on our websites may set cookies of their own. Those cookies gather information without our involvement, and you can turn them off in the same way.

## Do we link to other websites? {#links}

Yes. Our websites may contain links to websites run by others. We are not responsible for what those sites contain or for how they handle privacy, so please read their privacy policies before you give them any personal information.

## Do we use online advertising services? {#ad-services}

We advertise on websites that are not ours. When a visit to our sites comes from one of those advertisements, we record that it did. This tells us where our visitors come from and helps us aim our online advertising. The information contains nothing that identifies you. We share it only with the agents we contract with, so that they can measure how our advertising and promotions perform; it serves our purposes and is not given to them for their own marketing.

## Do we collect information about children online? {#children}

The Children's Online Privacy Protection Act (COPPA) applies to websites that are aimed at children under 13 and collect personal information from them, and to websites that know they are collecting personal information from children under 13. We do not knowingly collect personal information from children, and we neither market to children nor aim content at them. Before your children go online without you, we encourage you to agree together on a set of rules.

## When do we update this policy? {#updates}

We may change this policy from time to time as our business, technology and the law change. Before any material change takes effect, we post a notice on our website for 30 days. Every version of this policy and the dates it applied stay available under [all versions](/privacy/versions).

## How can I contact us? {#contact}

Please send questions about our privacy policies by e-mail to [{{privacyEmail}}](mailto:{{privacyEmail}}).

This policy describes our practices. It is not a contract between {{brand}} and its customers for any purpose, including private or government litigation or regulatory action.
$policy$, 'The company''s online privacy policy of 14 November 2005, as first published on this site.', false, 'published', '2005-11-14T00:00:00Z', '2005-11-14T00:00:00Z')
ON CONFLICT ("version") DO NOTHING;
