// Messages of plans, orders and payment providers.
import type { Catalogue } from "../index";

export const paymentsMessages: Catalogue = {
  plan_not_found: {
    ru: "Тариф «{plan}» не найден.",
    en: "Plan “{plan}” not found.",
  },
  invalid_plan_value: {
    ru: "Недопустимое значение поля {field}: {details}",
    en: "Invalid value for {field}: {details}",
  },
  payments_unavailable: {
    ru: "Оплата сейчас недоступна: платёжный провайдер не настроен.",
    en: "Payments are unavailable: no payment provider is configured.",
  },
  plan_unavailable: {
    ru: "Тариф «{plan}» сейчас нельзя купить.",
    en: "Plan “{plan}” cannot be bought right now.",
  },
  receipt_email_required: {
    ru: "Для чека нужен e-mail: укажите его в аккаунте.",
    en: "The receipt needs an e-mail address: add one to your account.",
  },
  payment_provider_unavailable: {
    ru: "Платёжный провайдер не отвечает. Заказ сохранён, повторите через минуту — второго платежа не будет.",
    en: "The payment provider is not answering. The order is kept; retry in a minute — no second payment is made.",
  },
  payment_provider_refused: {
    ru: "Платёжный провайдер отклонил платёж. Попробуйте позже или напишите в поддержку.",
    en: "The payment provider refused the payment. Try later or contact support.",
  },
  order_not_found: {
    ru: "Заказ не найден.",
    en: "Order not found.",
  },
  invalid_notification: {
    ru: "Неверное уведомление.",
    en: "Invalid notification.",
  },
  webhook_ip_forbidden: {
    ru: "Адрес отправителя не в списке разрешённых.",
    en: "The sender's address is not allowed.",
  },
  stars_order_invalid: {
    ru: "Этот счёт недействителен. Откройте /buy и выберите тариф заново.",
    en: "This invoice is not valid. Open /buy and pick the plan again.",
  },
  stars_order_closed: {
    ru: "Этот счёт уже оплачен или закрыт. Откройте /buy, чтобы купить ещё.",
    en: "This invoice is already paid or closed. Open /buy to buy again.",
  },
  bot_buy_none: {
    ru: "Сейчас нет тарифов за Telegram Stars.",
    en: "No plans are sold for Telegram Stars right now.",
  },
  bot_buy_pick: {
    ru: "Выберите тариф (оплата Telegram Stars):",
    en: "Pick a plan (paid with Telegram Stars):",
  },
  bot_buy_invoice: {
    ru: "{plan}: {tokens} токенов мастеринга на ваш баланс.",
    en: "{plan}: {tokens} mastering tokens to your balance.",
  },
  bot_buy_paid: {
    ru: "Оплата получена ({stars} ⭐), спасибо! Баланс пополнен — /balance.",
    en: "Payment received ({stars} ⭐), thank you! Your balance is topped up — /balance.",
  },
  bot_paysupport: {
    ru: "Вопросы по оплате решает оператор сервиса, а не поддержка Telegram: напишите ему (контакт на сайте сервиса). Возврат приходит Stars на ваш счёт в Telegram.",
    en: "Payment questions are handled by the service's operator, not by Telegram support: write to them (contact on the service's site). A refund returns the Stars to your Telegram account.",
  },
  order_not_refundable: {
    ru: "Этот заказ нельзя вернуть: он не оплачен.",
    en: "This order cannot be refunded: it is not paid.",
  },
  refund_failed: {
    ru: "Telegram не выполнил возврат. Повторите позже.",
    en: "Telegram did not perform the refund. Retry later.",
  },
};
