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
};
