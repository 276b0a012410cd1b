/* A Kazakh-speaking cashier's working day on the POS screen (issue 8): open the register, sell,
 * pay, see the receipt, look at the ticket list and open the closing dialog. On every screen the
 * tour checks a few key Kazakh labels and that no English word of the deny-list is visible.
 * Steps use CSS selectors and Kazakh texts only, never the English-text helpers of core tours. */
import { registry } from "@web/core/registry";

// English words of the POS interface that must not be visible to a Kazakh cashier. The test data
// (shop, cashier, products, categories, payment methods) is named in Kazakh, so any of these words
// on screen is an untranslated interface string.
const DENY_LIST = [
    "Actions", "Amount", "Back", "Bank", "Cancel", "Card", "Cart", "Cash", "Cashier", "Category",
    "Change", "Close", "Closing", "Confirm", "Continue", "Counted", "Customer", "Date", "Delete",
    "Details", "Difference", "Discard", "Discount", "Done", "Edit", "Email", "Expected", "Invoice",
    "Load", "New", "Note", "Opening", "Order", "Orders", "Paid", "Pay", "Payment", "Payments",
    "Price", "Print", "Product", "Products", "Qty", "Quantity", "Receipt", "Refund", "Register",
    "Remaining", "Reset", "Review", "Sale", "Sales", "Search", "Select", "Send", "Session",
    "Status", "Subtotal", "Tax", "Taxes", "Tip", "Total", "Validate",
];
const DENY_RE = new RegExp(`\\b(${DENY_LIST.join("|")})\\b`, "i");

function visibleText(selector) {
    const root = document.querySelector(selector) || document.body;
    return root.innerText || "";
}

/** Steps: each Kazakh label is visible inside `scope`, then nothing of the deny-list is. */
function assertKazakh(screen, scope, labels) {
    return [
        ...labels.map((label) => ({
            content: `${screen}: Kazakh label "${label}" is shown`,
            trigger: `${scope}:contains("${label}")`,
        })),
        {
            content: `${screen}: no English interface word is visible`,
            trigger: scope,
            run() {
                const lines = visibleText("body")
                    .split("\n")
                    .filter((line) => DENY_RE.test(line));
                if (lines.length) {
                    throw new Error(
                        `${screen}: English text visible to a Kazakh user: ${JSON.stringify(lines)}`
                    );
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("clever_pos_base.KazakhPosTour", {
    steps: () =>
        [
            // Opening the register: the login screen, then the opening control dialog (cash control).
            ...assertKazakh("Login screen", ".login-overlay", ["Кассаны ашу", "Басқару панелі"]),
            { content: "Open the register", trigger: ".screen-login .btn.open-register-btn", run: "click" },
            ...assertKazakh("Opening dialog", ".modal", [
                "Ауысымды ашу",
                "Кассадағы бастапқы ақша",
                "Ашу туралы ескертпе",
                "Кассаны ашу",
                "Болдырмау",
            ]),
            {
                content: "Confirm the opening",
                trigger: ".modal .modal-footer .btn-primary",
                run: "click",
            },
            // Main sale screen.
            {
                content: "Add the bread to the order",
                trigger: 'article.product .product-name:contains("Бородино наны")',
                run: "click",
            },
            {
                content: "The order line is there",
                trigger: '.order-container .orderline:contains("Бородино наны")',
            },
            ...assertKazakh("Sale screen", ".pos", [
                "Касса",
                "Тапсырыстар",
                "Төлем",
                "Клиент",
                "Саны",
                "Баға",
                "Барлығы",
            ]),
            // Payment screen.
            { content: "Go to payment", trigger: ".product-screen .pay-order-button", run: "click" },
            {
                content: "Pay in cash",
                trigger: '.paymentmethods .paymentmethod .payment-name:contains("Қолма-қол")',
                run: "click",
            },
            ...assertKazakh("Payment screen", ".payment-screen", [
                "Растау",
                "Қолма-қол",
                "Карта",
            ]),
            {
                content: "Validate the payment",
                trigger: ".payment-screen button.validation-button.next",
                run: "click",
            },
            // Receipt screen and the receipt itself.
            { content: "The receipt is shown", trigger: ".receipt-screen .pos-receipt" },
            ...assertKazakh("Receipt screen", ".receipt-screen", [
                "Төлем сәтті өтті",
                "Чекті басып шығару",
                "Жаңа тапсырыс",
                "Барлығы",
                "Қолма-қол",
                "Қызмет көрсеткен",
            ]),
            {
                content: "Start a new order",
                trigger: ".receipt-screen .button.next.highlight[name='done']",
                run: "click",
            },
            { content: "Back on the sale screen", trigger: ".product-screen" },
            // Ticket list.
            { content: "Open the ticket list", trigger: ".pos-leftheader .orders-button", run: "click" },
            {
                content: "Show the paid orders",
                trigger: ".ticket-screen .pos-search-bar .filter",
                run: "click",
            },
            {
                content: "Filter: paid",
                trigger: '.ticket-screen .pos-search-bar .filter li:contains("Төленді")',
                run: "click",
            },
            { content: "The sold ticket is listed", trigger: ".ticket-screen .order-row" },
            { content: "Select the sold ticket", trigger: ".ticket-screen .order-row", run: "click" },
            ...assertKazakh("Ticket list", ".ticket-screen", [
                "Төленді",
                "Бүгін",
                "Барлығы",
                "Қайтарылатын тауар(лар)ды таңдап, санын көрсетіңіз",
                "Чекті басып шығару",
                "Қайтару",
            ]),
            {
                content: "Back to the register",
                trigger: ".pos-leftheader .register-label",
                run: "click",
            },
            // Closing dialog.
            { content: "Open the menu", trigger: ".pos-rightheader button:has(.fa-bars)", run: "click" },
            {
                content: "Close the register",
                trigger: 'span.dropdown-item:contains("Кассаны жабу")',
                run: "click",
            },
            { content: "The closing dialog is shown", trigger: ".modal .close-pos-popup" },
            ...assertKazakh("Closing dialog", ".modal", [
                "Кассаны жабу",
                "тапсырыс:",
                "Қолма-қол",
                "Ауысым басында",
                "Төлемдер: Қолма-қол",
                "Кассаға салу / алу",
                "Ақшаны санау",
                "Айырма",
                "Саналғаны",
                "Жабу туралы ескертпе",
                "Болдырмау",
            ]),
            {
                content: "Leave the closing dialog without closing",
                trigger: '.modal .close-pos-popup button:contains("Болдырмау")',
                run: "click",
            },
            { content: "Still on the sale screen", trigger: ".product-screen" },
        ].flat(),
});
